import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { imageDetails, imageProxy } from '../../cli/views/image';
import { ProxyImage } from '../../client/compute/images';
import { findProxyImage } from '../../client/resolve';

export default class ImageShow extends ClientCommand {
  static summary = 'Show details about the given image.';
  static description = "Through the Compute API's image proxy (microversion 2.35 at most).";
  static aliases = ['image-show'];
  static args = { image: Args.string({ description: 'Name or ID of image.', required: true }) };

  async run(): Promise<ProxyImage> {
    const { args, flags } = await this.parse(ImageShow);
    const nova = imageProxy(await this.connect(flags));
    const image = await findProxyImage(nova, args.image);
    this.printDict(imageDetails(image as unknown as Record<string, unknown>));
    return image;
  }
}
