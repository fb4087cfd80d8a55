import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { imageProxy } from '../../cli/views/image';
import { ProxyImage } from '../../client/compute/images';

export default class ImageList extends ClientCommand {
  static summary = 'Print a list of available images to boot from.';
  static description = "Through the Compute API's image proxy (microversion 2.35 at most).";
  static aliases = ['image-list'];
  static flags = { limit: Flags.integer({ description: 'Number of images to return per request.' }) };

  async run(): Promise<ProxyImage[]> {
    const { flags } = await this.parse(ImageList);
    const nova = imageProxy(await this.connect(flags));
    const images = await nova.images.list({ limit: flags.limit });
    this.printList(images, ['ID', 'Name', 'Status', 'Server'], { formatters: { Server: (i) => i.server?.id ?? '' }, sortBy: 'Name' });
    return images;
  }
}
