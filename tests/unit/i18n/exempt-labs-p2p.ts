import type { Exemption } from './scan';

/** labs-p2p: strings that stay as written, and why */
const exempt: Exemption[] = [];
export default exempt;
