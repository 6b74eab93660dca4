import { spaConfig } from '../../tools/vite-spa.mts';

export default spaConfig({ name: 'client-portal', base: '/portal/', port: 4300 });
