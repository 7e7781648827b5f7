/**
 * The simulated robot: `npm run sim -- [--port 9090] [--seed 0] [--camera-hz 15] [--size 256] [--tasks pick_place,knock_down]`.
 * Serves rosbridge v2 on ws://localhost:<port> (see docs/SIM.md).
 */
import { parseArgs } from 'node:util';
import { SimNode } from './simNode.ts';
import type { TaskKind } from './scene/types.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9090' },
    host: { type: 'string', default: '0.0.0.0' },
    seed: { type: 'string', default: '0' },
    'camera-hz': { type: 'string', default: '15' },
    size: { type: 'string', default: '256' },
    tasks: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('npm run sim -- [--port 9090] [--host 0.0.0.0] [--seed 0] [--camera-hz 15] [--size 256] [--tasks pick_place,press_button,knock_down]');
  process.exit(0);
}
for (const key of ['port', 'seed', 'camera-hz', 'size'] as const) {
  if (!(Number(values[key]) >= 0)) {
    console.error(`--${key} must be a non-negative number`);
    process.exit(1);
  }
}

const size = Number(values.size);
const node = await SimNode.start({
  port: Number(values.port),
  host: values.host,
  seed: Number(values.seed),
  cameraHz: Number(values['camera-hz']),
  width: size,
  height: size,
  tasks: values.tasks ? (values.tasks.split(',') as TaskKind[]) : undefined,
});
console.log(`path-studio sim: rosbridge v2 on ws://localhost:${node.port} — task: "${node.simulation.scene.task.instruction}"`);

const shutdown = async () => {
  await node.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
