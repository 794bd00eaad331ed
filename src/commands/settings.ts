import {Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {formatSetting, type SettingQuery} from '../cli/format-setting.js';
import {Settings} from '../settings/settings.js';
import {loadProject} from '../project/project-file.js';

export default class SettingsCommand extends BaseCommand {
  static summary = 'Get settings values';
  static description = 'Prints the value of a setting as a crawl would see it: inside a project the project file\'s value, outside the default; -s overrides either. Without an option, prints every setting as JSON.';
  static examples = [
    '<%= config.bin %> <%= command.id %> --get BOT_NAME',
    '<%= config.bin %> <%= command.id %> --getint CONCURRENT_REQUESTS -s CONCURRENT_REQUESTS=4',
  ];
  static flags = {
    get: Flags.string({helpValue: 'NAME', description: 'Print the raw setting value'}),
    getbool: Flags.string({helpValue: 'NAME', description: 'Print the setting value, interpreted as a boolean'}),
    getint: Flags.string({helpValue: 'NAME', description: 'Print the setting value, interpreted as an integer'}),
    getfloat: Flags.string({helpValue: 'NAME', description: 'Print the setting value, interpreted as a float'}),
    getlist: Flags.string({helpValue: 'NAME', description: 'Print the setting value, interpreted as a list (JSON)'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(SettingsCommand);
    const settings = new Settings((await loadProject())?.settings ?? {}, 'project');
    settings.update(this.globalSettings(flags), 'cmdline');
    const query = (['get', 'getbool', 'getint', 'getfloat', 'getlist'] as const).find((kind) => flags[kind] !== undefined);
    this.log(formatSetting(settings, query === undefined ? undefined : ({kind: query, name: flags[query]} as SettingQuery)));
  }
}
