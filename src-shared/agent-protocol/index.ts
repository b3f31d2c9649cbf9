// The agent protocol (framing, messages, the proof an agent signs), for the console, the
// agent daemon and the lab alike.
export * from './frames';
export * from './messages';
export * from './probe';
export * from './run-config';
export * from './systemd-unit';
