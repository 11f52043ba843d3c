// Adds lock entries for platform-specific optional packages that npm could not resolve here.
//
// The registry this project installs from does not carry every platform build (e.g. the darwin and
// win32 binaries of @biomejs/cli-* and @chdb/lib-*). `npm install` then leaves them out of
// package-lock.json, and `npm ci` refuses that lock file as out of sync. An entry naming the package's
// os/cpu/libc lets `npm ci` skip it on other platforms and fetch it where it matches. Runs as the root
// `postinstall` script, so the lock file is repaired after every `npm install`; a no-op when nothing is missing.
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const platform =
  /-(android|darwin|linux|win32|freebsd|openbsd|netbsd|sunos|aix)-(arm64|x64|ia32|arm|loong64|ppc64|riscv64|s390x)(?:-(gnu|musl|msvc))?$/;
const added = [];

for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `${path ? `${path}/` : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (lock.packages[key] || lock.packages[hoisted]) continue;
    const match = platform.exec(name);
    if (!match) continue;
    const [, os, cpu, libc] = match;
    lock.packages[hoisted] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
      cpu: [cpu],
      ...(libc === 'gnu' ? { libc: ['glibc'] } : libc === 'musl' ? { libc: ['musl'] } : {}),
    };
    added.push(`${name}@${version}`);
  }
}

if (added.length > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
  );
  writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
  process.stdout.write(`package-lock.json: added platform entries for ${added.join(', ')}\n`);
}
