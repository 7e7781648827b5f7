import { expect, test } from '@playwright/test';
import { sharedFixture } from '../src/testing/sharedFixtures';

const so101 = sharedFixture('lerobot-so101-v3');
const urdf = sharedFixture('urdf-so101');

test('real SO-101 LeRobot dataset: imports with the missing videos named, and URDF forward kinematics gives plausible trajectories for all 4 episodes', async ({ page }) => {
  test.skip(!so101.present || !urdf.present, so101.present ? urdf.skipReason : so101.skipReason);
  await page.goto('/import/episodes');
  await page.getByLabel('Dataset folder').setInputFiles(so101.path());
  await expect(page.getByTestId('source-format')).toHaveText('lerobot-v3.0');
  await expect(page.getByTestId('source-facts')).toContainText('4 episodes · 1492 frames · 30 fps · so101_follower');
  const problems = page.getByTestId('source-problems');
  await expect(problems).toContainText('videos/observation.images.front/chunk-000/file-000.mp4');
  await expect(problems).toContainText('videos/observation.images.top/chunk-000/file-000.mp4');
  await expect(page.getByLabel('Instruction for episode 0')).toHaveValue('Pick the orange cube and place it in the box');
  // No end-effector columns: forward kinematics is preselected and asks for a URDF.
  await expect(page.getByRole('radio', { name: 'Forward kinematics of a URDF' })).toBeChecked();
  await expect(page.getByTestId('import-blockers')).toContainText('no video files');
  // Every joint is named and has its role: six state values, six actions, two cameras without files.
  await expect(page.getByTestId('episodes-found')).toHaveText('4 of 4 episodes on disk');
  await expect(page.getByLabel('Role of observation.state')).toHaveValue('state');
  await expect(page.getByTestId('column-observation.state')).toContainText('shoulder_pan.pos, shoulder_lift.pos');
  await expect(page.getByLabel('Role of action')).toHaveValue('action');

  await page.getByLabel('URDF folder').setInputFiles(urdf.path());
  await expect(page.getByTestId('urdf-summary')).toContainText('5 joints from base_link to gripper_frame_link; 5 matched to state columns');
  await expect(page.getByLabel('Joint units')).toHaveValue('range100');
  await page.getByRole('button', { name: 'Show trajectories in 3D' }).click();
  const rows = page.getByTestId('trajectory-stats').locator('tbody tr');
  await expect(rows).toHaveCount(4);
  for (let i = 0; i < 4; i++) {
    const r = rows.nth(i);
    const reach = Number(await r.getAttribute('data-reach-max'));
    const length = Number(await r.getAttribute('data-length'));
    const zMin = Number(await r.getAttribute('data-z-min'));
    // SO-101: ~0.45 m reach at most; a pick-and-place moves the tip by decimetres; it stays above the base's floor.
    expect(reach, `episode ${i} reach`).toBeLessThan(0.5);
    expect(reach, `episode ${i} reach`).toBeGreaterThan(0.1);
    expect(length, `episode ${i} path length`).toBeGreaterThan(0.1);
    expect(length, `episode ${i} path length`).toBeLessThan(5);
    expect(zMin, `episode ${i} lowest point`).toBeGreaterThan(-0.1);
  }
  // urdf-loader (three.js) poses the robot from the same joint values: its tip agrees with our FK.
  const note = await page.getByTestId('robot-note').textContent();
  expect(Number(/ ([\d.]+) mm from our forward kinematics/.exec(note ?? '')?.[1])).toBeLessThan(0.001);
  // The three.js view drew something (not a blank canvas).
  const drawn = await page.getByTestId('trajectory-canvas').evaluate((c: HTMLCanvasElement) => {
    const url = c.toDataURL();
    return url.length;
  });
  expect(drawn).toBeGreaterThan(5000);
});
