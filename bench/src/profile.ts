// `npm run bench -- --profile`: each Node target runs under `node --cpu-prof`; this sums the
// self time per function of the profiles written during the run and prints the hottest ones.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The top functions by self time, per target folder written since `since` (ISO date), from the
 * busiest thread's profile (the main thread; tsx's loader thread is mostly idle).
 */
export function summarizeProfiles(dir: string, since: string, top = 15): string {
  const out: string[] = [];
  const folders = readdirSync(dir)
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isDirectory() && statSync(f).mtimeMs >= Date.parse(since));
  for (const folder of folders) {
    const profiles = readdirSync(folder)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')) as CpuProfile);
    const busySamples = (p: CpuProfile) => {
      const idle = new Set(
        p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id),
      );
      return p.samples.filter((id) => !idle.has(id)).length;
    };
    const profile = profiles.sort((a, b) => busySamples(b) - busySamples(a))[0];
    if (!profile) continue;
    const file = folder;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id)!.callFrame;
      const where = frame.url
        ? `${frame.url.replace(/^.*\/(node_modules|work\/main)\//, '')}:${frame.lineNumber + 1}`
        : '';
      const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
      const dt = profile.timeDeltas[i] ?? 0;
      self.set(key, (self.get(key) ?? 0) + dt);
      total += dt;
    });
    const idle = self.get('(idle)') ?? 0;
    out.push(
      `${basename(file)}: ${(total / 1e6).toFixed(1)} s sampled, ${(((total - idle) / total) * 100).toFixed(0)}% busy`,
    );
    out.push('| self % of busy | function |');
    out.push('| ---: | --- |');
    const busy = total - idle;
    [...self.entries()]
      .filter(([k]) => k !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([k, v]) => out.push(`| ${((100 * v) / busy).toFixed(1)} | ${k} |`));
    out.push('');
  }
  return out.join('\n');
}
