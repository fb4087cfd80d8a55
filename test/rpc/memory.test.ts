import { MemoryTransport } from '../../src/rpc/memory';
import { transportContract } from './contract';

transportContract('memory://', async () => { const t = new MemoryTransport(); await t.start(); return t; }, (t) => t.stop());
