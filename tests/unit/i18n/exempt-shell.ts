import type { Exemption } from './scan';

/** shell: strings that stay as written, and why */
const exempt: Exemption[] = [];
export default exempt;
