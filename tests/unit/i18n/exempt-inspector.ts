import type { Exemption } from './scan';

/** inspector: strings that stay as written, and why */
const exempt: Exemption[] = [];
export default exempt;
