/// <reference lib="webworker" />
/** The robot's WebSocket in its own thread (see rosbridgeSocket.ts). */
import { serveRosbridgeSocket, type RawSocket } from './rosbridgeSocket';

serveRosbridgeSocket(self as unknown as Parameters<typeof serveRosbridgeSocket>[0], (url) => new WebSocket(url) as unknown as RawSocket);
