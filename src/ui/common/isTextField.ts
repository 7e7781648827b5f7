/**
 * Whether a key press belongs to a field the user is typing in: text inputs, text areas, selects and
 * editable content. Checkboxes, sliders and buttons are not (their keys stay the screen's).
 */
export const isTextField = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) && !(t instanceof HTMLInputElement && /^(checkbox|radio|range|button)$/.test(t.type)));
