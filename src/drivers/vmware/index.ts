export { VMwareVCDriver } from './driver';
