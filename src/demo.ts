// The built-in demo host: virtui's own libvirt test-driver world.
import { fileURLToPath } from 'node:url';

export const DEMO_WORLD = fileURLToPath(new URL('./demo/world.xml', import.meta.url));
export const DEMO_URI = `test://${DEMO_WORLD}`;
