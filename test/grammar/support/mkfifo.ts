/** Makes a named pipe with the system's `mkfifo` (Node has no call for it). */
import { execFileSync } from 'node:child_process';

export function mkfifoSync(path: string): void {
  execFileSync('mkfifo', [path]);
}
