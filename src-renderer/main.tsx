// Renderer entry: start the session (IPC in the desktop shell, WebSocket in serve mode)
// and render the shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { installCjkFont } from './fonts/cjk-font';
import { startSession } from './stores/session/actions';
import './styles.css';

installCjkFont();
startSession();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
