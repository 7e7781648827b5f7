/** Camera calibrations saved with imported episodes, offered again for the next import. */
export { listReusableCalibrations, saveCalibration, type EpisodeCalibrationRecord } from '../../storage/calibrations';
