export { LibvirtDriver } from './driver';
