export { XenAPIDriver } from './driver';
