export const PNG_SIZES: number[];
export function ico(pngs: Map<number, Buffer>): Buffer;
export function icns(pngs: Map<number, Buffer>): Buffer;
export function makeIcons(outDir: string): Promise<string>;
