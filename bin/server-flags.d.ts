/** The Node flags of package.json's `satchel` script. */
export function serverFlags(): string[];
