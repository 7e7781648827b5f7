import { describe, expect, it } from 'vitest';
import { InterfaceRegistry, typeKey } from './interfaces.ts';

const registry = new InterfaceRegistry();
const SEP = `\n${'='.repeat(80)}\n`;

describe('ROS 2 interface registry (rosapi TypeDefs and full text)', () => {
  it("writes the full definition text that rosbridge_suite's rosapi test expects (rosapi/test/test_objectutils.py)", () => {
    expect(registry.fullText('std_msgs/String')).toBe('string data\n');
    expect(registry.fullText('std_msgs/msg/String')).toBe('string data\n');
    expect(registry.fullText('std_msgs/ByteMultiArray')).toBe(
      `std_msgs/MultiArrayLayout layout\nuint8[] data\n${SEP}MSG: std_msgs/MultiArrayLayout\nstd_msgs/MultiArrayDimension[] dim\nuint32 data_offset\n${SEP}MSG: std_msgs/MultiArrayDimension\nstring label\nuint32 size\nuint32 stride\n`,
    );
    expect(registry.fullText('sensor_msgs/Image')).toBe(
      `std_msgs/Header header\nuint32 height\nuint32 width\nstring encoding\nuint8 is_bigendian\nuint32 step\nuint8[] data\n${SEP}MSG: std_msgs/Header\nbuiltin_interfaces/Time stamp\nstring frame_id\n`,
    );
    expect(registry.fullText('sensor_msgs/CameraInfo')).toBe(
      'std_msgs/Header header\nuint32 height\nuint32 width\nstring distortion_model\nfloat64[] d\nfloat64[9] k\nfloat64[9] r\nfloat64[12] p\nuint32 binning_x\nuint32 binning_y\nsensor_msgs/RegionOfInterest roi\n'
      + `${SEP}MSG: sensor_msgs/RegionOfInterest\nuint32 x_offset\nuint32 y_offset\nuint32 height\nuint32 width\nbool do_rectify\n${SEP}MSG: std_msgs/Header\nbuiltin_interfaces/Time stamp\nstring frame_id\n`,
    );
  });

  it('gives TypeDefs with rosidl field type names, array lengths, examples and constants, depth first without repeats', () => {
    const defs = registry.messageTypedefs('tf2_msgs/msg/TFMessage');
    expect(defs.map((d) => d.type)).toEqual([
      'tf2_msgs/TFMessage', 'geometry_msgs/TransformStamped', 'std_msgs/Header', 'builtin_interfaces/Time',
      'geometry_msgs/Transform', 'geometry_msgs/Vector3', 'geometry_msgs/Quaternion',
    ]);
    expect(defs[0]).toEqual({ type: 'tf2_msgs/TFMessage', fieldnames: ['transforms'], fieldtypes: ['geometry_msgs/TransformStamped'], fieldarraylen: [0], examples: ['[]'], constnames: [], constvalues: [] });
    // geometry_msgs/Quaternion's w defaults to 1.0 in ROS 2.
    expect(defs[6]).toMatchObject({ fieldtypes: ['double', 'double', 'double', 'double'], examples: ['0.0', '0.0', '0.0', '1.0'] });
    expect(registry.messageTypedefs('std_msgs/Bool')[0]).toMatchObject({ fieldtypes: ['boolean'], examples: ['False'] });
    expect(registry.messageTypedefs('std_msgs/Float32')[0].fieldtypes).toEqual(['float']);
  });

  it('reads service definitions into <type>_Request / _Response TypeDefs', () => {
    const r = new InterfaceRegistry();
    r.addMessage('demo/msg/Item', 'string id\nfloat64[3] position');
    r.addService('demo/srv/Find', 'string name\nint32 LIMIT=5\n---\ndemo/Item[] items\nbool found');
    expect(r.serviceTypedefs('demo/Find', 'request')).toEqual([
      { type: 'demo/Find_Request', fieldnames: ['name'], fieldtypes: ['string'], fieldarraylen: [-1], examples: [''], constnames: ['LIMIT'], constvalues: ['5'] },
    ]);
    expect(r.serviceTypedefs('demo/srv/Find', 'response').map((d) => d.type)).toEqual(['demo/Find_Response', 'demo/Item']);
    expect(r.names()).toEqual(expect.arrayContaining(['demo/msg/Item', 'demo/srv/Find', 'sensor_msgs/msg/Image']));
  });

  it('says what is missing instead of answering an empty definition', () => {
    expect(() => registry.messageTypedefs('sensor_msgs/msg/Imag')).toThrow(/unknown message type "sensor_msgs\/msg\/Imag"/);
    expect(() => registry.serviceTypedefs('std_srvs/srv/Trigger', 'request')).toThrow(/unknown service type "std_srvs\/srv\/Trigger"/);
    const r = new InterfaceRegistry();
    r.addMessage('demo/msg/Outer', 'demo/Inner inner');
    expect(() => r.messageTypedefs('demo/Outer')).toThrow('the definition of demo/Inner (used by demo/Outer) is missing');
    expect(() => r.addService('demo/srv/Bad', 'string a')).toThrow(/needs exactly one "---" line/);
    expect(() => r.addMessage('demo/msg/Bad', 'flaot64 x y z')).toThrow(/demo\/msg\/Bad: cannot parse the definition/);
  });

  it('treats pkg/Name, pkg/msg/Name and pkg/srv/Name as one type', () => {
    expect(typeKey('sensor_msgs/msg/Image')).toBe('sensor_msgs/Image');
    expect(typeKey('rosapi_msgs/srv/Topics')).toBe('rosapi_msgs/Topics');
    expect(typeKey('std_msgs/String')).toBe('std_msgs/String');
  });
});
