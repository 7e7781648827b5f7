/** The Live console's recent recordings and the operator's verdict on each. */
export { listLiveEpisodes, setEpisodeVerdict } from '../../storage/liveEpisodes';
