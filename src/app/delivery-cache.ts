/**
 * Remembers recent `X-GitHub-Delivery` ids so a redelivered webhook does nothing twice in this instance. Other
 * instances are kept out by the claim refs; this only saves them the API calls.
 */
export function createDeliveryCache(limit = 5000): (id: string) => boolean {
  const seen = new Set<string>();
  return (id) => {
    if (seen.has(id)) return true;
    seen.add(id);
    if (seen.size > limit) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
    return false;
  };
}
