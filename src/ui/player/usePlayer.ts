import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { PlayerController } from '../../app/player/playerController';

/**
 * A player controller for the episode in the address, made and opened in an effect and disposed
 * with it (so React's double effects in development never leave a disposed controller in use).
 * Null until the first effect ran.
 */
export function usePlayer(episodeId: string): PlayerController | null {
  const navigate = useNavigate();
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  const [player, setPlayer] = useState<PlayerController | null>(null);
  useEffect(() => {
    const p = new PlayerController(episodeId, { navigate: (to) => void navigateRef.current(to) });
    setPlayer(p);
    void p.open();
    return () => p.dispose();
  }, [episodeId]);
  return player;
}
