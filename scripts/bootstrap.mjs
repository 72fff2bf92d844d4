// Installs the workspace with the pnpm that is running this script (no global pnpm needed).
import { execFileSync } from 'node:child_process';

// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by the package manager running this script, not a build input
const pnpm = process.env.npm_execpath;
const args = ['install', '--frozen-lockfile', '--reporter=append-only'];
if (pnpm?.endsWith('.cjs') || pnpm?.endsWith('.js')) {
  execFileSync(process.execPath, [pnpm, ...args], { stdio: 'inherit' });
} else {
  execFileSync(pnpm ?? 'pnpm', args, { stdio: 'inherit' });
}
