/** Placeholder until the LeRobot writer lands (next commit). */
export default function LeRobotExportPanel(_props: { datasetId: string }) {
  return <p className="muted">LeRobot export is coming.</p>;
}
