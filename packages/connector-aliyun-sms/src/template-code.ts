import type { AliyunSmsTemplate } from './config';

/**
 * Which template code a number gets, as `@logto/connector-aliyun-sms` decides: mainland China
 * numbers (a mobile number is 1 and 10 more digits) get `templateCode.china`, every other number
 * `templateCode.overseas`. Without `strictPhoneRegionNumberCheck`, a bare 11-digit number starting
 * with 1 counts as mainland Chinese (Logto installs that stored numbers without a country code);
 * with it, only `+86`, `0086` or `86` followed by such a number does.
 */
const mainlandMobile = '1\\d{10}';
const mainlandNumber = new RegExp(`^(?:\\+86|0086|86)?${mainlandMobile}$`);
const strictMainlandNumber = new RegExp(`^(?:\\+86|0086|86)${mainlandMobile}$`);

export const isMainlandChinaNumber = (number: string, strict: boolean): boolean =>
  (strict ? strictMainlandNumber : mainlandNumber).test(number);

export const templateCodeFor = (
  { templateCode }: AliyunSmsTemplate,
  number: string,
  strict: boolean,
): string => {
  if (typeof templateCode === 'string') {
    return templateCode;
  }
  return isMainlandChinaNumber(number, strict) ? templateCode.china : templateCode.overseas;
};
