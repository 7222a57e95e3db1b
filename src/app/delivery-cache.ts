/** Recent `X-GitHub-Delivery` ids, so a redelivered webhook does nothing twice in this instance. */
export interface DeliveryCache {
  /** True when `id` was seen recently; records it otherwise. */
  seen(id: string): boolean;
  /** Drops `id` again: a delivery whose handling failed may be redelivered and must then be handled. */
  forget(id: string): void;
}

/**
 * Other instances are kept out by the claim refs; this only saves them the API calls. Insertion order makes the
 * oldest id the first one dropped past `limit`.
 */
export function createDeliveryCache(limit = 5000): DeliveryCache {
  const ids = new Set<string>();
  return {
    seen: (id) => {
      if (ids.has(id)) return true;
      ids.add(id);
      if (ids.size > limit) {
        const oldest = ids.values().next().value;
        if (oldest !== undefined) ids.delete(oldest);
      }
      return false;
    },
    forget: (id) => {
      ids.delete(id);
    },
  };
}
