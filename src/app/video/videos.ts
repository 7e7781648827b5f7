/** The stored videos the video import screen lists, opens and annotates. */
export { getVideo, getVideoBlob, listVideos, updateVideoAnnotation } from '../../storage/videos';
