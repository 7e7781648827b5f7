/**
 * ROS 2 message definitions the studio writes into MCAP files (and a few more that tests write bags
 * with: Float64, Bool, PoseStamped), as `ros2msg` schema text the way
 * rosbag2 and Foxglove write it: the top-level definition, then every dependency once, each after a
 * line of 80 `=` and a `MSG: pkg/Name` header (no `/msg/`). Field lists are those of ROS 2 Jazzy's
 * common_interfaces (comments and constants dropped, except the Marker constants the studio uses).
 *
 * Written out by hand rather than produced by `@foxglove/rosmsg`'s `stringify`: that prints ROS 1
 * builtins (`time stamp`) where a ROS 2 reader expects `builtin_interfaces/Time stamp`.
 */

const DEFINITIONS: Record<string, string> = {
  'builtin_interfaces/Time': 'int32 sec\nuint32 nanosec',
  'builtin_interfaces/Duration': 'int32 sec\nuint32 nanosec',
  'std_msgs/Header': 'builtin_interfaces/Time stamp\nstring frame_id',
  'std_msgs/ColorRGBA': 'float32 r\nfloat32 g\nfloat32 b\nfloat32 a',
  'std_msgs/String': 'string data',
  'std_msgs/Float64': 'float64 data',
  'std_msgs/Bool': 'bool data',
  'geometry_msgs/Vector3': 'float64 x\nfloat64 y\nfloat64 z',
  'geometry_msgs/Point': 'float64 x\nfloat64 y\nfloat64 z',
  'geometry_msgs/Quaternion': 'float64 x 0\nfloat64 y 0\nfloat64 z 0\nfloat64 w 1',
  'geometry_msgs/Pose': 'Point position\nQuaternion orientation',
  'geometry_msgs/PoseStamped': 'std_msgs/Header header\nPose pose',
  'geometry_msgs/Transform': 'Vector3 translation\nQuaternion rotation',
  'geometry_msgs/TransformStamped': 'std_msgs/Header header\nstring child_frame_id\nTransform transform',
  'tf2_msgs/TFMessage': 'geometry_msgs/TransformStamped[] transforms',
  'sensor_msgs/CompressedImage': 'std_msgs/Header header\nstring format\nuint8[] data',
  'sensor_msgs/RegionOfInterest': 'uint32 x_offset\nuint32 y_offset\nuint32 height\nuint32 width\nbool do_rectify',
  'sensor_msgs/CameraInfo':
    'std_msgs/Header header\nuint32 height\nuint32 width\nstring distortion_model\nfloat64[] d\nfloat64[9] k\nfloat64[9] r\nfloat64[12] p\nuint32 binning_x\nuint32 binning_y\nRegionOfInterest roi',
  'sensor_msgs/JointState': 'std_msgs/Header header\nstring[] name\nfloat64[] position\nfloat64[] velocity\nfloat64[] effort',
  'visualization_msgs/Marker': [
    'int32 ARROW=0', 'int32 CUBE=1', 'int32 SPHERE=2', 'int32 CYLINDER=3', 'int32 LINE_STRIP=4', 'int32 LINE_LIST=5',
    'int32 CUBE_LIST=6', 'int32 SPHERE_LIST=7', 'int32 POINTS=8', 'int32 TEXT_VIEW_FACING=9', 'int32 MESH_RESOURCE=10',
    'int32 TRIANGLE_LIST=11', 'int32 ARROW_STRIP=12', 'int32 ADD=0', 'int32 MODIFY=0', 'int32 DELETE=2', 'int32 DELETEALL=3',
    'std_msgs/Header header', 'string ns', 'int32 id', 'int32 type', 'int32 action',
    'geometry_msgs/Pose pose', 'geometry_msgs/Vector3 scale', 'std_msgs/ColorRGBA color',
    'builtin_interfaces/Duration lifetime', 'bool frame_locked', 'geometry_msgs/Point[] points', 'std_msgs/ColorRGBA[] colors',
    'string texture_resource', 'sensor_msgs/CompressedImage texture', 'UVCoordinate[] uv_coordinates',
    'string text', 'string mesh_resource', 'MeshFile mesh_file', 'bool mesh_use_embedded_materials',
  ].join('\n'),
  'visualization_msgs/UVCoordinate': 'float32 u\nfloat32 v',
  'visualization_msgs/MeshFile': 'string filename\nuint8[] data',
};

const PRIMITIVES = new Set(['bool', 'byte', 'char', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64', 'string', 'wstring']);

/** Fully qualified names of the complex types a definition uses (relative names resolved in its package). */
function dependenciesOf(name: string): string[] {
  const pkg = name.split('/')[0];
  const out: string[] = [];
  for (const line of DEFINITIONS[name].split('\n')) {
    const type = line.trim().split(/\s+/)[0].replace(/\[.*\]$/, '').replace(/<=\d+$/, '');
    if (!type || PRIMITIVES.has(type) || /=/.test(line.split(/\s+/)[1] ?? '')) continue;
    out.push(type.includes('/') ? type : `${pkg}/${type}`);
  }
  return out;
}

/** The types the studio can write, as ROS 2 names (`sensor_msgs/msg/CompressedImage`). */
export const STUDIO_ROS2_TYPES = ['sensor_msgs/msg/CompressedImage', 'sensor_msgs/msg/CameraInfo', 'sensor_msgs/msg/JointState', 'tf2_msgs/msg/TFMessage', 'visualization_msgs/msg/Marker', 'std_msgs/msg/String'] as const;
export type StudioRos2Type = (typeof STUDIO_ROS2_TYPES)[number];

/** `ros2msg` schema text for a type (`sensor_msgs/msg/JointState` or `sensor_msgs/JointState`). */
export function ros2SchemaText(type: string): string {
  const root = type.replace('/msg/', '/');
  if (!DEFINITIONS[root]) throw new Error(`No ROS 2 definition for ${type} in the studio's schema set.`);
  const order: string[] = [];
  const visit = (name: string) => {
    for (const dep of dependenciesOf(name)) {
      if (dep === root || order.includes(dep)) continue;
      if (!DEFINITIONS[dep]) throw new Error(`ros2Schemas: ${name} uses ${dep}, which has no definition.`);
      order.push(dep);
      visit(dep);
    }
  };
  visit(root);
  const sep = '='.repeat(80);
  return [DEFINITIONS[root], ...order.map((dep) => `${sep}\nMSG: ${dep}\n${DEFINITIONS[dep]}`)].join('\n') + '\n';
}
