/** Robot profiles the operator saved (localStorage: small, per browser), plus the built-in sim profile. */
import { SIM_PROFILE, validateProfile, type RobotProfile } from '../../robot/profile';

// The profile form checks a draft exactly as a saved or pasted profile is checked.
export { DEFAULT_TOPICS, validateProfile } from '../../robot/profile';

const KEY = 'path-studio.robotProfiles';
const LAST_KEY = 'path-studio.lastRobotProfile';

export function loadProfiles(): RobotProfile[] {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown[];
    const saved = raw.map((p) => validateProfile(p)).filter((r) => r.ok).map((r) => (r as { profile: RobotProfile }).profile);
    return [SIM_PROFILE, ...saved.filter((p) => p.id !== SIM_PROFILE.id)];
  } catch {
    return [SIM_PROFILE];
  }
}

export function saveProfile(profile: RobotProfile): RobotProfile[] {
  const others = loadProfiles().filter((p) => p.id !== profile.id && p.id !== SIM_PROFILE.id);
  localStorage.setItem(KEY, JSON.stringify([...others, profile]));
  return loadProfiles();
}

export function deleteProfile(id: string): RobotProfile[] {
  localStorage.setItem(KEY, JSON.stringify(loadProfiles().filter((p) => p.id !== id && p.id !== SIM_PROFILE.id)));
  return loadProfiles();
}

export const lastProfileId = (): string => localStorage.getItem(LAST_KEY) ?? SIM_PROFILE.id;
export const rememberProfile = (id: string): void => localStorage.setItem(LAST_KEY, id);
