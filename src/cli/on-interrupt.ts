import { EXIT } from './exit-codes.js';

/**
 * Calls `stop` on the first SIGINT (Ctrl-C), so a command can say what it leaves behind before
 * it exits; a second Ctrl-C exits at once with {@link EXIT.interrupted}.
 * @returns a function that removes the handler (SIGINT then ends the process as usual)
 */
export function onInterrupt(stop: () => void): () => void {
  let interrupted = false;
  const handler = () => {
    if (interrupted) process.exit(EXIT.interrupted);
    interrupted = true;
    stop();
  };
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}
