import { NovaConf } from '../conf/schema';
import { Logger } from '../lib/log';
import { ComputeDriver } from './driver';
import { FakeDriver } from './fake/driver';

type DriverFactory = (conf: NovaConf, log: Logger) => ComputeDriver;

/**
 * Drivers by their `compute_driver` name. Real drivers load on demand so a host only loads what it
 * uses. Nova's full class paths (nova.virt.libvirt.LibvirtDriver) are accepted too.
 */
const DRIVERS: Record<string, DriverFactory> = {
  'fake.FakeDriver': (conf) => new FakeDriver(conf),
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  'libvirt.LibvirtDriver': (conf, log) => new (require('./libvirt').LibvirtDriver)(conf, log),
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  'vmwareapi.VMwareVCDriver': (conf, log) => new (require('./vmware').VMwareVCDriver)(conf, log),
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  'xenapi.XenAPIDriver': (conf, log) => new (require('./xenapi').XenAPIDriver)(conf, log),
};

export function registerDriver(name: string, factory: DriverFactory): void {
  DRIVERS[name] = factory;
}

export function loadComputeDriver(conf: NovaConf, log: Logger): ComputeDriver {
  const name = conf.DEFAULT.compute_driver.replace(/^nova\.virt\./, '');
  const factory = DRIVERS[name];
  if (!factory) {
    throw new Error(`compute_driver '${conf.DEFAULT.compute_driver}' is unknown (known: ${Object.keys(DRIVERS).join(', ')})`);
  }
  try {
    return factory(conf, log);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') {
      throw new Error(`compute_driver '${name}' is not available in this build: ${(e as Error).message.split('\n')[0]}`);
    }
    throw e;
  }
}
