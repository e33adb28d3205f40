/** Milliseconds in a day: windows, retention, staleness and the dashboard's weeks count in UTC days. */
export const DAY_MS = 86_400_000
