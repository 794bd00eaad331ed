import {FormRequest, Request, Spider, type Response} from 'dragline';

export class MembersSpider extends Spider {
  static spiderName = 'members';
  loginUrl = 'http://127.0.0.1:8000/login';

  async *start() {
    yield new Request(this.loginUrl, {callback: this.login});
  }

  // Submits the login form as a browser would: its hidden csrf_token goes along, we add the rest.
  login(response: Response) {
    return FormRequest.fromResponse(response, {
      formdata: {username: 'admin', password: 'secret'},
      callback: this.afterLogin,
    });
  }

  async *afterLogin(response: Response) {
    const error = response.css('p.error::text').get();
    if (error !== null) {
      this.logger.error(`Login failed: ${error}`);
      return;
    }
    for (const name of response.css('li.member::text').getall()) yield {name};
  }
}
