import {Request, type RequestOptions} from './request.js';

/** A POST of url-encoded form data, as Scrapy's FormRequest. */
export class FormRequest extends Request {
  constructor(url: string, options: RequestOptions & {formdata?: Record<string, string | string[]>} = {}) {
    const {formdata, ...rest} = options;
    if (formdata === undefined) {
      super(url, rest);
      return;
    }
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(formdata)) {
      for (const one of Array.isArray(value) ? value : [value]) params.append(key, one);
    }
    const method = (rest.method ?? 'POST').toUpperCase();
    if (method === 'GET') {
      const target = new URL(url);
      target.search = params.toString();
      super(target.toString(), {...rest, method});
    } else {
      super(url, {
        ...rest,
        method,
        body: params.toString(),
        headers: {'Content-Type': 'application/x-www-form-urlencoded', ...rest.headers},
      });
    }
  }
}
