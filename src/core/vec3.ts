/** A 3-vector (metres, radians or a direction, as the name of the value says). */
export type Vec3 = [number, number, number];
