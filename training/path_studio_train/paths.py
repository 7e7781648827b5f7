"""The 2D path (docs/PATH_FORMAT.md) in Python: a list of (x, y, closed) waypoints in normalized image
coordinates, with the gripper state *after* each point. Mirrors src/core (simplify, resample,
metrics, codec) closely enough for training targets and evaluation."""
import math
import re
from dataclasses import dataclass, field


@dataclass
class Path:
    points: list = field(default_factory=list)  # [(x, y, closed: bool)]
    initial_closed: bool = False


def _seg_dist(p, a, b):
    ax, ay = a[0], a[1]
    dx, dy = b[0] - ax, b[1] - ay
    L2 = dx * dx + dy * dy
    if L2 == 0:
        return math.hypot(p[0] - ax, p[1] - ay)
    t = max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / L2))
    return math.hypot(p[0] - (ax + t * dx), p[1] - (ay + t * dy))


def gripper_changes(path: Path) -> list:
    """Indices where the gripper state differs from the state before the point."""
    out, before = [], path.initial_closed
    for i, p in enumerate(path.points):
        if p[2] != before:
            out.append(i)
        before = p[2]
    return out


def gripper_events(path: Path) -> list:
    """The sequence of gripper events ('close'/'open'), what gripper-event accuracy compares."""
    return ["close" if path.points[i][2] else "open" for i in gripper_changes(path)]


def simplify(path: Path, eps: float = 0.05) -> Path:
    """RDP keeping endpoints and gripper changes (src/core/simplify.ts)."""
    pts = path.points
    if len(pts) <= 2:
        return Path(list(pts), path.initial_closed)
    keep = [False] * len(pts)
    anchors = sorted(set([0, len(pts) - 1] + gripper_changes(path)))
    for i in anchors:
        keep[i] = True
    for a, b in zip(anchors, anchors[1:]):
        stack = [(a, b)]
        while stack:
            lo, hi = stack.pop()
            far, far_d = -1, eps
            for i in range(lo + 1, hi):
                d = _seg_dist(pts[i], pts[lo], pts[hi])
                if d > far_d:
                    far, far_d = i, d
            if far >= 0:
                keep[far] = True
                stack += [(lo, far), (far, hi)]
    return Path([p for p, k in zip(pts, keep) if k], path.initial_closed)


def resample(path: Path, n: int) -> Path:
    """`n` waypoints equally spaced by arc length; each takes the gripper state in force where it lies."""
    pts = path.points
    if not pts or n <= 0:
        return Path([], path.initial_closed)
    cum = [0.0]
    for a, b in zip(pts, pts[1:]):
        cum.append(cum[-1] + math.hypot(b[0] - a[0], b[1] - a[1]))
    total, last, out, seg = cum[-1], len(pts) - 1, [], 0
    for s in range(n):
        if total == 0 or n == 1:
            out.append(pts[0])
            continue
        if s == n - 1:
            out.append(pts[last])
            continue
        at = s / (n - 1) * total
        while seg < last - 1 and at > cum[seg + 1]:
            seg += 1
        if at == cum[seg + 1]:
            k = seg + 1
            while k < last and cum[k + 1] == at:
                k += 1
            out.append(pts[k])
            continue
        t = (at - cum[seg]) / (cum[seg + 1] - cum[seg])
        a, b = pts[seg], pts[seg + 1]
        out.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2]))
    return Path(out, path.initial_closed)


def resample_keeping_events(path: Path, n: int) -> Path:
    """`n` waypoints spread by arc length that include the start, the end and every gripper change
    exactly: the planner's training target. Plain `resample` puts the first closed point up to one
    spacing *after* the grasp (on the way back up), and a planner trained on it drew its grasp
    markers that far above the object (docs/EVAL.md). Falls back to `resample` when `n` cannot hold
    all the anchors."""
    pts = path.points
    anchors = sorted(set([0, len(pts) - 1] + gripper_changes(path))) if pts else []
    if len(anchors) < 2 or n < len(anchors):
        return resample(path, n)
    spans = [Path(pts[a: b + 1], pts[a][2]) for a, b in zip(anchors, anchors[1:])]
    lengths = [sum(math.hypot(q[0] - p[0], q[1] - p[1]) for p, q in zip(s.points, s.points[1:])) for s in spans]
    # Points inside the spans, shared by length (largest remainder).
    inner = n - len(anchors)
    total = sum(lengths)
    share = [inner * L / total if total > 0 else inner / len(spans) for L in lengths]
    counts = [int(x) for x in share]
    for i in sorted(range(len(spans)), key=lambda i: counts[i] - share[i])[: inner - sum(counts)]:
        counts[i] += 1
    out = [pts[0]]
    for span, c in zip(spans, counts):
        # resample(span, c + 2) = the span's start, c points inside, its end; interior points carry
        # the state in force along the span (that after its start anchor).
        r = resample(span, c + 2).points
        out += [(x, y, span.points[0][2]) for x, y, _ in r[1:-1]] + [span.points[-1]]
    return Path(out, path.initial_closed)


def metrics(pred: Path, target: Path, samples: int = 100):
    """Mean point distance after arc-length resampling, start and endpoint errors (src/core/metrics.ts)."""
    if not pred.points or not target.points:
        return None
    a, b = resample(pred, samples).points, resample(target, samples).points
    d = [math.hypot(p[0] - q[0], p[1] - q[1]) for p, q in zip(a, b)]
    return {"mean_point_distance": sum(d) / len(d), "start_error": d[0], "endpoint_error": d[-1]}


def from_network(points, gripper_prob, threshold: float = 0.5, eps: float = 0.05) -> Path:
    """Planner outputs ([K,2] in [0,1], [K] closed probability) to a simplified path (the studio does the same)."""
    pts = [(min(1.0, max(0.0, float(x))), min(1.0, max(0.0, float(y))), bool(g > threshold)) for (x, y), g in zip(points, gripper_prob)]
    return simplify(Path(pts, False), eps)


_TUPLE = re.compile(r"\(\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\)|<action>\s*(open|close)\s+gripper\s*</action>", re.I)


def parse_answer(text: str) -> Path:
    """HAMSTER's `<ans>[(x, y), <action>Close Gripper</action>, ...]</ans>`: a tag applies to the point before it."""
    m = re.search(r"<ans>(.*?)</ans>", text, re.S)
    body = m.group(1) if m else text
    path = Path([], False)
    for t in _TUPLE.finditer(body):
        if t.group(3):
            closed = t.group(3).lower() == "close"
            if path.points:
                x, y, _ = path.points[-1]
                path.points[-1] = (x, y, closed)
            else:
                path.initial_closed = closed
        else:
            closed = path.points[-1][2] if path.points else path.initial_closed
            path.points.append((float(t.group(1)), float(t.group(2)), closed))
    if not path.points:
        raise ValueError(f"no waypoints in answer: {text[:80]!r}")
    return path


def format_answer(path: Path, decimals: int = 2) -> str:
    parts, before = [], path.initial_closed
    for x, y, closed in path.points:
        parts.append(f"({x:.{decimals}f}, {y:.{decimals}f})")
        if closed != before:
            parts.append("<action>Close Gripper</action>" if closed else "<action>Open Gripper</action>")
        before = closed
    return "<ans>[" + ", ".join(parts) + "]</ans>"
