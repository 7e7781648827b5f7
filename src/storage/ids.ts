/** Random ids for records (assets use content hashes instead). */
export function newId(): string {
  return crypto.randomUUID();
}
