import { Args } from '@oclif/core';
import { ClientCommand, ManyResult } from '../../cli/client_command';
import { imageProxy } from '../../cli/views/image';
import { findProxyImage } from '../../client/resolve';

export default class ImageDelete extends ClientCommand {
  static summary = 'Delete specified image(s).';
  static description = "Through the Compute API's image proxy (microversion 2.35 at most).";
  static aliases = ['image-delete'];
  static strict = false;
  static args = { image: Args.string({ description: 'Name or ID of image(s).', required: true }) };

  async run(): Promise<Array<ManyResult<string>>> {
    const { argv, flags } = await this.parse(ImageDelete);
    const nova = imageProxy(await this.connect(flags));
    return this.onMany(argv as string[], async (name) => {
      const image = await findProxyImage(nova, name);
      await nova.images.delete(image.id);
      return image.id;
    }, (name) => `Request to delete image ${name} has been accepted.`, 'Unable to delete the specified image(s).');
  }
}
