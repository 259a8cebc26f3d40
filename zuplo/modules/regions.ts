// The regions the gateway forwards to, and which is nearest to a caller. Region names are the canonical ones of
// functions/events (event.schema.json); coordinates are those of the Linode data centers of each region.

export interface Region {
  name: string;
  latitude: number;
  longitude: number;
}

export const REGIONS: readonly Region[] = [
  { name: "us-east", latitude: 40.74, longitude: -74.17 }, // Newark
  { name: "eu-west", latitude: 51.51, longitude: -0.13 }, // London
  { name: "ap-south", latitude: 1.35, longitude: 103.82 }, // Singapore
];

/** Great-circle distance in km. */
export function distanceKm(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLon = (bLon - aLon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/**
 * The regions in the order to try them: an explicit override first (header `x-region`, for tests and operators),
 * else nearest to the caller's coordinates (Zuplo's `context.incomingRequestProperties`), else the configured order.
 */
export function regionOrder(override: string | null | undefined, latitude?: number, longitude?: number): string[] {
  const names = REGIONS.map((r) => r.name);
  if (override && names.includes(override)) {
    return [override, ...names.filter((n) => n !== override)];
  }
  if (typeof latitude === "number" && typeof longitude === "number" && !Number.isNaN(latitude) && !Number.isNaN(longitude)) {
    return [...REGIONS]
      .sort((a, b) => distanceKm(latitude, longitude, a.latitude, a.longitude) - distanceKm(latitude, longitude, b.latitude, b.longitude))
      .map((r) => r.name);
  }
  return names;
}
