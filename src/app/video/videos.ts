/** The stored videos the video import screen lists, opens and annotates, and how it shows their times. */
export { getVideo, getVideoBlob, listVideos, updateVideoAnnotation } from '../../storage/videos';
export { formatTimecode } from '../../video/frameIndex';
