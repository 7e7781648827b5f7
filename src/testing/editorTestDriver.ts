import type { Path } from '../core/path';
import { CommandRegistry, normalizeBinding, type Command } from '../core/commands';
import { editorCommands, type EditorCommandContext } from '../editor/commands';
import { Editor, type EditorOptions, type EditorPointerEvent } from '../editor/editor';
import type { Vec } from '../core/geometry';

type PointerOptions = Partial<Omit<EditorPointerEvent, 'x' | 'y'>>;

/**
 * Drives an Editor the way the UI does (pointer events in screen px, key presses through the
 * one command registry) so tests read as gestures: `driver.drag(driver.at(0.1, 0.1), …)`.
 */
export class EditorTestDriver {
  readonly editor: Editor;
  readonly commands: CommandRegistry<EditorCommandContext>;
  private position: Vec = { x: 0, y: 0 };

  constructor(options: Partial<EditorOptions> = {}, extraCommands: Command<EditorCommandContext>[] = []) {
    this.editor = new Editor({
      // With a 16 px fit margin, a 1000×500 image in a 1032×532 viewport sits at scale 1, offset 16.
      imageSize: { width: 1000, height: 500 },
      viewportSize: { width: 1032, height: 532 },
      ...options,
    });
    this.commands = new CommandRegistry([...editorCommands, ...extraCommands]);
  }

  get path(): Path {
    return this.editor.path;
  }

  /** Normalized path coordinates → screen position under the current view. */
  at(x: number, y: number): Vec {
    return this.editor.normalizedToScreen({ x, y });
  }

  pointerDown(p: Vec, options: PointerOptions = {}): this {
    this.position = p;
    this.editor.pointerDown(this.event(p, options));
    return this;
  }

  pointerMove(p: Vec, options: PointerOptions = {}): this {
    this.position = p;
    this.editor.pointerMove(this.event(p, options));
    return this;
  }

  pointerUp(p: Vec = this.position, options: PointerOptions = {}): this {
    this.position = p;
    this.editor.pointerUp(this.event(p, options));
    return this;
  }

  click(p: Vec, options: PointerOptions = {}): this {
    return this.pointerDown(p, options).pointerUp(p, options);
  }

  /** Press at `from`, move in `steps` even steps to `to`, and (unless `release` is false) release. */
  drag(from: Vec, to: Vec, { steps = 5, release = true, ...options }: PointerOptions & { steps?: number; release?: boolean } = {}): this {
    this.pointerDown(from, options);
    for (let i = 1; i <= steps; i++) {
      this.pointerMove({ x: from.x + ((to.x - from.x) * i) / steps, y: from.y + ((to.y - from.y) * i) / steps }, options);
    }
    return release ? this.pointerUp(to, options) : this;
  }

  /** Presses a binding such as `Mod+Z` or `G`; returns the id of the command that ran, if any. */
  key(binding: string): string | null {
    const parts = normalizeBinding(binding).split('+');
    const key = binding.endsWith('++') || binding === '+' ? '+' : parts[parts.length - 1];
    const event = { key, ctrlKey: parts.includes('Mod'), altKey: parts.includes('Alt'), shiftKey: parts.includes('Shift') };
    return this.commands.dispatchKey({ editor: this.editor }, event)?.id ?? null;
  }

  private event(p: Vec, options: PointerOptions): EditorPointerEvent {
    return { x: p.x, y: p.y, pointerId: 1, pointerType: 'mouse', button: 0, ...options };
  }
}

/** Rounds a path's coordinates for readable assertions. */
export const rounded = (path: Path, digits = 3): [number, number, string][] =>
  path.points.map((p) => [Number(p.x.toFixed(digits)), Number(p.y.toFixed(digits)), p.gripper]);
