"""Drives a server the way the Open Inference Protocol's Python clients do.

The requests and the parsing of the answers follow, step by step, what
tritonclient.http's InferenceServerClient (tritonclient/http/_client.py,
_utils.py, _infer_result.py) and KServe's InferenceRESTClient
(kserve/inference_client.py, kserve/protocol/infer_type.py) send and read:
the same paths, headers, JSON layouts and byte handling, with http.client
and numpy instead of geventhttpclient and httpx. Neither client is
installed or copied; this reproduces their calls.

    python3 protocol_clients.py http://127.0.0.1:8080

Prints one JSON object with what each call returned.
"""
import http.client
import json
import sys
import uuid
from urllib.parse import urlparse

import numpy as np

BASE = urlparse(sys.argv[1])
DTYPES = {"FP32": np.float32, "FP64": np.float64}


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # names lower-cased, as both clients look them up case-insensitively
        self.body = body


def input_tensor(name, array, binary, raw):
    """An input as both clients' set_data_from_numpy writes it: binary bytes after the JSON (appended to raw), or JSON data."""
    tensor = {"name": name, "shape": list(array.shape), "datatype": "FP32"}
    if binary:
        data = array.astype(np.float32).tobytes()
        tensor["parameters"] = {"binary_data_size": len(data)}
        raw.append(data)
    else:
        tensor["data"] = [val.item() for val in array.flatten()]
    return tensor


def call(method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(BASE.hostname, BASE.port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    result = Response(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    connection.close()
    return result


class TritonError(Exception):
    pass


class TritonHttpClient:
    """As tritonclient.http.InferenceServerClient."""

    def _raise_if_error(self, response):
        # _utils._get_error: any status but 200 is an error; its body's "error" is the message.
        if response.status != 200:
            body = response.body.decode("utf-8")
            error = json.loads(body) if len(body) else {"error": "client received an empty response from the server."}
            raise TritonError(error["error"])

    def is_server_live(self):
        return call("GET", "/v2/health/live").status == 200

    def is_server_ready(self):
        return call("GET", "/v2/health/ready").status == 200

    def is_model_ready(self, model_name, model_version=""):
        path = f"/v2/models/{model_name}/versions/{model_version}/ready" if model_version else f"/v2/models/{model_name}/ready"
        return call("GET", path).status == 200

    def get_server_metadata(self):
        response = call("GET", "/v2")
        self._raise_if_error(response)
        return json.loads(response.body)

    def get_model_metadata(self, model_name):
        response = call("GET", f"/v2/models/{model_name}")
        self._raise_if_error(response)
        return json.loads(response.body)

    def get_model_config(self, model_name):
        response = call("GET", f"/v2/models/{model_name}/config")
        self._raise_if_error(response)
        return json.loads(response.body)

    def infer(self, model_name, inputs, outputs=None, request_id=""):
        # _utils._get_inference_request
        request = {}
        parameters = {}
        if request_id != "":
            request["id"] = request_id
        raw = []
        request["inputs"] = [input_tensor(name, array, binary, raw) for name, array, binary in inputs]
        if outputs:
            request["outputs"] = [{"name": name, "parameters": {"binary_data": binary}} for name, binary in outputs]
        else:
            # No outputs named: every output, in binary.
            parameters["binary_data_output"] = True
        if parameters:
            request["parameters"] = parameters
        request_json = json.dumps(request)
        headers = {}
        body = request_json.encode()
        if raw:
            body = b"".join([body] + raw)
            headers["Inference-Header-Content-Length"] = len(request_json)
        response = call("POST", f"/v2/models/{model_name}/infer", body, headers)
        self._raise_if_error(response)
        # _infer_result.InferResult
        header_length = response.headers.get("inference-header-content-length")
        if header_length is None:
            result, buffer = json.loads(response.body), b""
        else:
            header_length = int(header_length)
            result, buffer = json.loads(response.body[:header_length]), response.body[header_length:]
        arrays, index = {}, 0
        for output in result["outputs"]:
            size = (output.get("parameters") or {}).get("binary_data_size")
            dtype = DTYPES[output["datatype"]]
            if size is not None:
                arrays[output["name"]] = np.frombuffer(buffer[index : index + size], dtype=dtype).reshape(output["shape"])
                index += size
            else:
                arrays[output["name"]] = np.array(output["data"], dtype=dtype).reshape(output["shape"])
        return result, arrays


class KServeError(Exception):
    pass


class KServeRestClient:
    """As kserve.InferenceRESTClient with the v2 protocol."""

    def _status_error(self, response):
        # _construct_http_status_error: the server's message only when the content type is exactly application/json.
        message = ""
        if response.headers.get("content-type") == "application/json":
            message = json.loads(response.body)
            if "error" in message:
                message = message["error"]
        return KServeError(f"{message}, '{response.status}'")

    def is_server_live(self):
        response = call("GET", "/v2/health/live")
        if not 200 <= response.status < 300:
            raise self._status_error(response)
        return json.loads(response.body).get("live")

    def is_server_ready(self):
        response = call("GET", "/v2/health/ready")
        if not 200 <= response.status < 300:
            raise self._status_error(response)
        return json.loads(response.body).get("ready")

    def is_model_ready(self, model_name):
        return 200 <= call("GET", f"/v2/models/{model_name}/ready").status < 300

    def infer(self, model_name, inputs, outputs=None, binary=False):
        # InferRequest.to_rest
        raw = []
        tensors = [input_tensor(name, array, binary, raw) for name, array in inputs]
        request = {"id": str(uuid.uuid4()), "model_name": model_name, "inputs": tensors}
        if outputs:
            request["outputs"] = [{"name": name, "parameters": {"binary_data": b}} for name, b in outputs]
        # orjson.dumps writes compact JSON.
        body = json.dumps(request, separators=(",", ":")).encode()
        headers = {}
        if raw:
            headers["inference-header-content-length"] = str(len(body))
            headers["content-type"] = "application/octet-stream"
            body = b"".join([body] + raw)
        else:
            headers["content-type"] = "application/json"
        response = call("POST", f"/v2/models/{model_name}/infer", body, headers)
        if not 200 <= response.status < 300:
            raise self._status_error(response)
        # InferResponse.from_bytes
        json_length = int(response.headers.get("inference-header-content-length", len(response.body)))
        result = json.loads(response.body[:json_length])
        arrays, start = {}, json_length
        for output in result["outputs"]:
            parameters = output.get("parameters") or {}
            dtype = DTYPES[output["datatype"]]
            if "binary_data_size" in parameters:
                end = start + parameters["binary_data_size"]
                arrays[output["name"]] = np.frombuffer(response.body[start:end], dtype=dtype).reshape(output["shape"])
                start = end
            else:
                if output.get("data") is None:
                    raise KServeError(f"'data' field is missing for output '{output['name']}'")
                arrays[output["name"]] = np.array(output["data"], dtype=dtype).reshape(output["shape"])
        return result, arrays


def listed(arrays):
    return {name: {"dtype": str(array.dtype), "shape": list(array.shape), "values": array.flatten().tolist()} for name, array in arrays.items()}


def error_of(call_it):
    try:
        call_it()
    except (TritonError, KServeError) as error:
        return str(error)
    return None


images = (np.arange(2 * 64, dtype=np.float32).reshape(2, 8, 8, 1) % 9) / 9
flat = images.reshape(2, 64)
triton, kserve = TritonHttpClient(), KServeRestClient()
report = {"triton": {}, "kserve": {}}

t = report["triton"]
t["live"] = triton.is_server_live()
t["ready"] = triton.is_server_ready()
t["model_ready"] = [triton.is_model_ready("conv"), triton.is_model_ready("conv", "1"), triton.is_model_ready("nope")]
t["server_metadata"] = triton.get_server_metadata()
t["model_metadata"] = triton.get_model_metadata("conv_score")
t["model_config"] = triton.get_model_config("conv")
_, arrays = triton.infer("conv", [("input", images, True)])
t["binary_all_outputs"] = listed(arrays)
result, arrays = triton.infer("conv", [("input", images, False)], [("reconstruction", False)], request_id="7")
t["json"] = {"id": result.get("id"), "model_name": result["model_name"], **listed(arrays)}
_, arrays = triton.infer("conv_score", [("input", images, True)], [("score", True)])
t["score"] = listed(arrays)
_, arrays = triton.infer("vae", [("input", flat, True)], [("mean", False), ("logVar", True)])
t["vae"] = listed(arrays)
t["error"] = error_of(lambda: triton.infer("conv", [("image", images, True)]))

k = report["kserve"]
k["live"] = kserve.is_server_live()
k["ready"] = kserve.is_server_ready()
k["model_ready"] = [kserve.is_model_ready("conv"), kserve.is_model_ready("nope")]
_, arrays = kserve.infer("conv", [("input", images)])
k["json"] = listed(arrays)
_, arrays = kserve.infer("conv", [("input", images)], [("reconstruction", True)], binary=True)
k["binary"] = listed(arrays)
_, arrays = kserve.infer("conv_score", [("input", images)], binary=True)
k["score"] = listed(arrays)
k["error"] = error_of(lambda: kserve.infer("conv", [("input", flat)]))
k["duplicate_outputs_error"] = error_of(lambda: kserve.infer("conv", [("input", images)], [("reconstruction", False), ("reconstruction", False)]))

print(json.dumps(report))
