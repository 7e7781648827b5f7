/**
 * `convert --to lerobot`: a dataset on disk → a path-labelled LeRobot v3.0 folder without a
 * browser. The episodes are read and turned into segments and paths exactly as for `--to hamster`
 * (convert.ts: the import screen's defaults); the dataset is written by the studio's own LeRobot
 * export (src/exporters/lerobot/writeEpisodes.ts: layout, parquet, stats, path feature, overlay
 * video), with its videos encoded by the system's ffmpeg (nodeVideoWriter.ts) where the studio
 * uses WebCodecs. The output is the folder the studio's zip holds, `<out>/<name>-lerobot/`, written
 * as `<name>-lerobot.partial/` and renamed when complete. Episodes are read one at a time and
 * each file group (≤ 3,000 frames) is written out before the next, so memory stays flat.
 */
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathsPerFrame, type SegmentPath } from '../formats/lerobot/pathFeature';
import { leRobotFiles, type EpisodeToWrite } from '../exporters/lerobot/writeEpisodes';
import type { EpisodeSource } from '../importers/episodes/source';
import { analyzedEpisode, checkedFrame, fileStem, ImportError, partialFolder, planConversion, type AnalyzedEpisode, type ConvertOptions } from './convert';
import { ffmpegH264Encoding } from './nodeVideoWriter';

export interface LeRobotConvertReport {
  folder: string;
  episodes: number;
  frames: number;
  /** Frames with a path (observation.path_valid = 1). */
  framesWithPath: number;
  bytes: number;
  problems: string[];
}

type CliEpisode = EpisodeToWrite & { analyzed: AnalyzedEpisode };

/** Converts `source` into `<out>/<name>-lerobot/` (the folder inside the studio's `<name>-lerobot.zip`). */
export async function convertToLeRobot(source: EpisodeSource, o: ConvertOptions & { framesPerFile?: number }): Promise<LeRobotConvertReport> {
  const plan = planConversion(source, o);
  const { episodes, problems, cam, firstCal } = plan;
  // What the studio's plan skips an episode for (exportLeRobot.ts); here every episode has the dataset's columns.
  if (!source.stateNames.length || !source.actionNames.length) {
    throw new ImportError(`${source.name} has no ${source.stateNames.length ? 'action' : 'state'} columns; lerobot policies train on observation.state and action.`);
  }
  const stateWidth = source.stateNames.length, actionWidth = source.actionNames.length;
  mkdirSync(o.out, { recursive: true });
  const folder = join(o.out, `${fileStem(source.name)}-lerobot`);
  const out = await partialFolder(folder);
  const video = ffmpegH264Encoding();
  let frames = 0, framesWithPath = 0, bytes = 0;

  async function* episodeStream(): AsyncGenerator<CliEpisode> {
    for (const index of episodes) {
      const a = await analyzedEpisode(source, plan, o, index);
      const length = a.table.states.length;
      const segments: SegmentPath[] = a.segments.map((s, i) => ({ frameStart: s.start, frameEnd: s.end, path: a.paths[i] }));
      frames += length;
      framesWithPath += pathsPerFrame(length, segments).filter(Boolean).length;
      yield {
        analyzed: a,
        task: a.summary.task, length, fps: source.fps,
        // The first episode's calibration fixes the frame size; every frame is checked against its own episode's.
        width: firstCal.width, height: firstCal.height, camera: cam.key,
        stateNames: source.stateNames, actionNames: source.actionNames,
        state: (i) => a.table.states[i].slice(0, stateWidth),
        action: (i) => a.table.actions[i].slice(0, actionWidth),
        segments,
        provenance: {
          source: { format: source.format, name: source.name, episodeIndex: index },
          success: a.summary.success ?? (a.table.success ? a.table.success[a.table.success.length - 1] : undefined),
        },
      };
    }
  }

  async function* episodeFrames(ep: CliEpisode): AsyncGenerator<Uint8ClampedArray> {
    const a = ep.analyzed;
    let n = 0;
    for await (const { bitmap } of a.reader.frames(Array.from({ length: ep.length }, (_, i) => i))) {
      const frame = checkedFrame(bitmap, a);
      if (frame.width !== ep.width || frame.height !== ep.height) {
        throw new ImportError(`${a.reader.fileName}: frames of ${a.label} are ${frame.width}×${frame.height}, unlike the first episode's ${ep.width}×${ep.height}; a LeRobot dataset has one frame size.`);
      }
      n++;
      yield frame.data;
    }
    if (n !== ep.length) throw new ImportError(`${a.reader.fileName}: could only decode ${n} of ${ep.length} frames for ${a.label}.`);
  }

  try {
    const files = leRobotFiles(episodeStream(), {
      video, frames: episodeFrames, robotType: source.robotType ?? 'unknown',
      source: { dataset: source.name, format: source.format, converted_by: 'path-studio cli' },
      framesPerFile: o.framesPerFile,
      onEpisode: (k) => o.onEpisode?.(k + 1, episodes.length),
    });
    for await (const f of files) {
      const file = join(out.partial, f.path);
      mkdirSync(dirname(file), { recursive: true });
      await writeFile(file, f.data);
      bytes += f.data.byteLength;
    }
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  } finally {
    video.dispose();
  }
  return { folder, episodes: episodes.length, frames, framesWithPath, bytes, problems };
}
