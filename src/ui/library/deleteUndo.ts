/** How long a deleted dataset can be brought back from the toast (and until the next visit). */
export const DELETE_UNDO_WINDOW_MS = 30_000;
