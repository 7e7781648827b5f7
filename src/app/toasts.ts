import { create } from 'zustand';
import { errorMessage } from '../core/errorMessage';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  message: string;
  /** Optional action, e.g. "Undo". */
  action?: { label: string; run: () => void };
  /** ms until it disappears; errors stay until dismissed. */
  ttl?: number;
}

interface ToastState {
  toasts: Toast[];
  show: (t: Omit<Toast, 'id'>) => number;
  dismiss: (id: number) => void;
}

let nextId = 1;

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  show: (t) => {
    const id = nextId++;
    set({ toasts: [...get().toasts, { ...t, id }] });
    const ttl = t.ttl ?? (t.kind === 'error' ? undefined : 5000);
    if (ttl) setTimeout(() => get().dismiss(id), ttl);
    return id;
  },
  dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
}));

export const notify = (t: Omit<Toast, 'id'>) => useToasts.getState().show(t);

export const notifyError = (e: unknown) =>
  notify({ kind: 'error', message: errorMessage(e) });
