// The gateway nodes' sync messages as values (the wire codec is sync.ts; the design in
// src-daemons/mgw/DESIGN.md). Every message names its sender node (u16) and the sender's epoch
// (u32: a restarted node starts a new epoch, so a peer resets its sequence state for it).

/** A node's state, as its heartbeats say. */
export const NODE_STATES = ['joining', 'resyncing', 'ready', 'draining'] as const;
export type NodeState = (typeof NODE_STATES)[number];

export const ENTRY_UPSERT = 1;
export const ENTRY_DELETE = 2;

/** One session change: 13 bytes on the wire (op u8, k0 u32, k1 u32, backend u16, idle u16). */
export interface SyncEntry {
  readonly op: typeof ENTRY_UPSERT | typeof ENTRY_DELETE;
  readonly k0: number;
  readonly k1: number;
  /** Backend index in the cluster's backend list (0xffff on a delete). */
  readonly backend: number;
  /** Seconds since the session last saw a packet, at the sender (saturates at 65535). */
  readonly idleS: number;
}

export interface SyncHeader {
  readonly node: number;
  readonly epoch: number;
}

/** Session changes, numbered per (sender, epoch, receiver); bulk: part of a resync (same numbering, acked the same). */
export interface SyncBatch extends SyncHeader {
  readonly type: 'batch';
  readonly seq: number;
  readonly bulk: boolean;
  readonly entries: readonly SyncEntry[];
}

/** Everything up to `cumulative` received; the inclusive ranges in `nacks` (above it) are missing. */
export interface SyncAck extends SyncHeader {
  readonly type: 'ack';
  /** The peer's epoch being acknowledged (a stale one is ignored by the sender). */
  readonly peerEpoch: number;
  readonly cumulative: number;
  readonly nacks: readonly (readonly [number, number])[];
}

export interface SyncHeartbeat extends SyncHeader {
  readonly type: 'heartbeat';
  readonly state: NodeState;
  /** Sessions in the sender's table. */
  readonly sessions: number;
  /** The highest seq the sender has sent to the receiver in this epoch (so a lost tail is noticed). */
  readonly sentSeq: number;
}

/** Asks the receiver for every session whose replica set holds the sender. */
export interface SyncResyncRequest extends SyncHeader {
  readonly type: 'resync-request';
  /** Distinguishes a repeated request from a new one. */
  readonly requestId: number;
}

/** The bulk batches of a resync were all sent, ending at seq `lastSeq` (the requester is done with this peer once it has everything up to it). */
export interface SyncResyncDone extends SyncHeader {
  readonly type: 'resync-done';
  readonly requestId: number;
  readonly lastSeq: number;
  readonly sessions: number;
}

export type SyncMessage = SyncBatch | SyncAck | SyncHeartbeat | SyncResyncRequest | SyncResyncDone;

/** A sync datagram's payload stays within this (UDP over a 1500-byte link with room for tunnels). */
export const SYNC_MTU = 1400;
/** Bytes of a batch's header on the wire (sync.ts). */
export const BATCH_HEADER_BYTES = 16;
/** Bytes of one entry on the wire. */
export const ENTRY_BYTES = 13;
/** Entries in a full batch: (1400 - 16) / 13. */
export const MAX_BATCH_ENTRIES = Math.floor((SYNC_MTU - BATCH_HEADER_BYTES) / ENTRY_BYTES);
