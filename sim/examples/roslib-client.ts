/**
 * A roslib client of the sim, as the studio (or any ROS tool) talks to it:
 *   npm run sim            # in one terminal
 *   npx tsx sim/examples/roslib-client.ts [ws://localhost:9090]
 * Resets to a seeded task, watches the camera, drives the end effector in a small square with the
 * gripper closing and opening, then lets the deadman stop the arm.
 */
import { Ros, Service, Topic } from 'roslib';

const url = process.argv[2] ?? 'ws://localhost:9090';
const ros = new Ros({ url });
await new Promise<void>((resolve, reject) => { ros.on('connection', () => resolve()); ros.on('error', reject); });
console.log(`connected to ${url}`);

const reset = new Service({ ros, name: '/sim/reset', serviceType: 'path_studio_sim/srv/Reset' });
const res = await new Promise<Record<string, unknown>>((resolve, reject) => reset.callService({ seed: 7 }, (r) => resolve(r as Record<string, unknown>), reject));
console.log(`task: ${res.instruction}`);

let frames = 0;
const camera = new Topic({ ros, name: '/camera/color/image_raw/compressed', messageType: 'sensor_msgs/msg/CompressedImage', compression: 'cbor', queue_length: 1 });
camera.subscribe(() => frames++);
const tf = new Topic({ ros, name: '/tf', messageType: 'tf2_msgs/msg/TFMessage', throttle_rate: 500 });
tf.subscribe((m) => {
  const t = (m as { transforms: { transform: { translation: { x: number; y: number; z: number } } }[] }).transforms[0].transform.translation;
  console.log(`ee at (${t.x.toFixed(3)}, ${t.y.toFixed(3)}, ${t.z.toFixed(3)})  camera frames so far: ${frames}`);
});

const twist = new Topic({ ros, name: '/servo_node/delta_twist_cmds', messageType: 'geometry_msgs/msg/TwistStamped' });
const gripper = new Topic({ ros, name: '/gripper_cmd', messageType: 'std_msgs/msg/Float64' });
const sides = [[0.08, 0], [0, 0.08], [-0.08, 0], [0, -0.08]];
for (const [i, [vx, vy]] of sides.entries()) {
  gripper.publish({ data: i % 2 });
  const until = Date.now() + 1000;
  while (Date.now() < until) {
    twist.publish({ header: { frame_id: 'base_link' }, twist: { linear: { x: vx, y: vy, z: 0 }, angular: { x: 0, y: 0, z: 0 } } });
    await new Promise((r) => setTimeout(r, 50));
  }
}
console.log('stopped sending: the deadman holds the arm');
await new Promise((r) => setTimeout(r, 1000));
ros.close();
