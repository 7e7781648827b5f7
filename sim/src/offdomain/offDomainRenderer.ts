/**
 * Renders a frame of the off-domain world: the sim's rasterizer over the effector's geoms (arm
 * hidden, gripper repainted or replaced by a hand), then the surfaces' textures, light colour and
 * wall. The floor stays hidden, as in the sim's own renders.
 */
import type { GeomInfo } from '../physics.ts';
import type { CameraModel } from '../render/camera.ts';
import { Rasterizer, type Frame } from '../render/rasterizer.ts';
import type { OffDomainVariant } from './domain.ts';
import { EffectorScene, type EffectorPose } from './effector.ts';
import { paintSurfaces } from './surfaces.ts';

export class OffDomainRenderer {
  private readonly effector: EffectorScene;
  private readonly rasterizer: Rasterizer;

  constructor(physicsGeoms: readonly GeomInfo[], private readonly variant: OffDomainVariant, width: number, height: number) {
    this.effector = new EffectorScene(physicsGeoms, variant.effector);
    this.rasterizer = new Rasterizer(this.effector.geoms, width, height, (g) => g.name === 'floor');
  }

  /** The geoms as drawn (segmentation ids index this list). */
  get geoms(): readonly GeomInfo[] { return this.effector.geoms; }

  /** `xpos`/`xmat`: the physics' geom poses; the returned frame's buffers are reused by the next call. */
  render(camera: CameraModel, xpos: ArrayLike<number>, xmat: ArrayLike<number>, ee: EffectorPose): Frame {
    const poses = this.effector.poses(xpos, xmat, ee);
    const frame = this.rasterizer.render(camera, this.variant.scene.look, poses.xpos, poses.xmat);
    paintSurfaces(frame, camera, this.effector.geoms, this.variant.scene.look.tableRgb, this.variant.surfaces);
    return frame;
  }
}
