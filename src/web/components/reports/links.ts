/** The device list filtered by a report figure's query (the server builds the query from the list's filters). */
export function devicesPath(devicesQuery: string): string {
  return devicesQuery ? `/devices?${devicesQuery}` : '/devices';
}
