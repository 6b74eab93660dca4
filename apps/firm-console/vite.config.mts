import { spaConfig } from '../../tools/vite-spa.mts';

export default spaConfig({ name: 'firm-console', base: '/', port: 4200 });
