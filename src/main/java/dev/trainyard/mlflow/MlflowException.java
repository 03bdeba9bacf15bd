package dev.trainyard.mlflow;

/** An error as MLflow reports it: {@code {"error_code": ..., "message": ...}} with the code's status. */
public class MlflowException extends RuntimeException {

    private final ErrorCode code;

    public MlflowException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    static MlflowException invalid(String message) {
        return new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    static MlflowException missing(String message) {
        return new MlflowException(ErrorCode.RESOURCE_DOES_NOT_EXIST, message);
    }
}
